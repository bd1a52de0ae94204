#!/usr/bin/python3
"""Publishes COUNT messages of 64 bytes (the send time in Unix ns, space-padded) with paho-mqtt, for the side-by-side run."""
import argparse
import time

import paho.mqtt.client as mqtt

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--count", type=int, required=True)
parser.add_argument("--qos", type=int, default=0)
parser.add_argument("--topic", default="bench/paho")
args = parser.parse_args()

client = mqtt.Client(client_id=f"paho-bench-{args.qos}")
client.max_inflight_messages_set(20)
client.max_queued_messages_set(0)
client.connect("127.0.0.1", args.port)
client.loop_start()
last = None
for _ in range(args.count):
    last = client.publish(args.topic, str(time.time_ns()).ljust(64), qos=args.qos)
last.wait_for_publish(timeout=60)
client.loop_stop()
client.disconnect()
