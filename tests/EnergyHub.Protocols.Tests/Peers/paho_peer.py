#!/usr/bin/python3
"""An independent MQTT client (python paho-mqtt) for EnergyHub's bus tests.

Subscribes to TOPIC at QoS 1 and prints each message's payload, one per line, until COUNT have arrived; then publishes
REPLY (QoS 1, retained) to REPLY_TOPIC and exits. Prints READY once subscribed.
"""
import argparse
import sys
import threading

import paho.mqtt.client as mqtt

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--topic", required=True)
parser.add_argument("--count", type=int, required=True)
parser.add_argument("--reply-topic", required=True)
parser.add_argument("--reply", required=True)
args = parser.parse_args()

done = threading.Event()
received = 0


def on_connect(client, userdata, flags, rc):
    client.subscribe(args.topic, qos=1)


def on_subscribe(client, userdata, mid, granted_qos):
    print("READY", flush=True)


def on_message(client, userdata, message):
    global received
    print(message.payload.decode("utf-8"), flush=True)
    received += 1
    if received == args.count:
        done.set()


client = mqtt.Client(client_id="paho-peer")
client.on_connect = on_connect
client.on_subscribe = on_subscribe
client.on_message = on_message
client.connect("127.0.0.1", args.port)
client.loop_start()
if not done.wait(60):
    sys.exit(f"only {received} of {args.count} messages arrived")
client.publish(args.reply_topic, args.reply, qos=1, retain=True).wait_for_publish(10)
client.loop_stop()
client.disconnect()
