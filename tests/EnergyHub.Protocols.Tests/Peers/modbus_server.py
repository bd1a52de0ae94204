#!/usr/bin/python3
"""A pymodbus server for EnergyHub's tests: TCP on 127.0.0.1:PORT, or RTU on a serial device (a socat pty).

Holding registers 0..7 = 04D2 FF38 0001 E240 FFFE 1DC0 4148 0000 (see shared/fixtures/modbus/frames.json),
input register 0 = 0903, 200 registers of each kind (--size for more), zero-based addresses. Prints READY once serving.
"""
import argparse
import logging
import sys
import threading

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int)
parser.add_argument("--serial")
parser.add_argument("--baud", type=int, default=9600)
parser.add_argument("--size", type=int, default=200)
args = parser.parse_args()
logging.basicConfig(level=logging.ERROR)

holding = [0x04D2, 0xFF38, 0x0001, 0xE240, 0xFFFE, 0x1DC0, 0x4148, 0x0000] + [0] * (args.size - 8)
inputs = [0x0903] + list(range(1, args.size))
# zero_mode: address 0 on the wire is element 0 of the block.
slave = ModbusSlaveContext(
    hr=ModbusSequentialDataBlock(0, holding), ir=ModbusSequentialDataBlock(0, inputs), zero_mode=True)
context = ModbusServerContext(slaves=slave, single=True)


def announce():
    print("READY", flush=True)


if args.serial:
    from pymodbus.server import StartSerialServer
    from pymodbus.transaction import ModbusRtuFramer
    threading.Timer(0.5, announce).start()
    StartSerialServer(context=context, framer=ModbusRtuFramer, port=args.serial, baudrate=args.baud,
                      bytesize=8, parity="N", stopbits=1, timeout=0.05)
else:
    from pymodbus.server import StartTcpServer
    threading.Timer(0.5, announce).start()
    StartTcpServer(context=context, address=("127.0.0.1", args.port))
sys.exit(0)
