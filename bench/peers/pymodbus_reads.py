#!/usr/bin/python3
"""Reads 10 holding registers from a Modbus TCP server for SECONDS with pymodbus's client; prints the number of reads."""
import argparse
import time

from pymodbus.client import ModbusTcpClient

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--seconds", type=float, default=3)
args = parser.parse_args()

client = ModbusTcpClient("127.0.0.1", port=args.port, timeout=3)
client.connect()
reads = 0
end = time.monotonic() + args.seconds
while time.monotonic() < end:
    result = client.read_holding_registers(0, 10, slave=1)
    if result.isError():
        raise SystemExit(f"read failed: {result}")
    reads += 1
client.close()
print(reads)
