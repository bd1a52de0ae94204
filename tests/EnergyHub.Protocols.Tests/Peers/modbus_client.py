#!/usr/bin/python3
"""A pymodbus client for EnergyHub's tests: reads and writes our Modbus TCP server on 127.0.0.1:PORT, prints JSON."""
import argparse
import json

from pymodbus.client import ModbusTcpClient

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
args = parser.parse_args()

client = ModbusTcpClient("127.0.0.1", port=args.port, timeout=3)
client.connect()
result = {}
result["hr0_8"] = client.read_holding_registers(0, 8, slave=1).registers
result["ir0_2"] = client.read_input_registers(0, 2, slave=1).registers
client.write_register(20, 4321, slave=1)
client.write_registers(21, [7, 8, 9], slave=1)
result["hr20_4"] = client.read_holding_registers(20, 4, slave=1).registers
bad = client.read_holding_registers(5000, 1, slave=1)
result["bad_address_exception"] = getattr(bad, "exception_code", None)
client.close()
print(json.dumps(result))
