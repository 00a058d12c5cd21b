"""The event-day server (`python wsgi.py`) and its venue mode (`python wsgi.py --venue`).

The server is gevent's WSGI server with WebSocket support, as Flask-SocketIO runs it in gevent
mode: one process and one OS thread carry every tablet, projector and phone (docs/deploy.md
says why gevent). The venue mode finds the laptop's address on the venue network, makes it the
public address of every link and QR code, and prints the links the organizer needs.
"""
from __future__ import annotations

import argparse
import gc
import io
import ipaddress
import socket
import sys
from dataclasses import dataclass

import click
import psutil
import segno
from flask import Flask

from .extensions import socketio
from .urls import public_url

# Bridges that virtual machines, containers and VPNs add: no tablet in the hall reaches them.
VIRTUAL_INTERFACE_PREFIXES = ("docker", "br-", "veth", "virbr", "vboxnet", "vmnet", "lxc", "lxd",
                              "vEthernet", "VirtualBox", "VMware", "tailscale", "zt", "wg", "tun",
                              "tap", "utun")


@dataclass(frozen=True)
class LanAddress:
    """An IPv4 address of one network interface of this laptop."""

    interface: str
    address: str


def lan_addresses(interfaces: dict | None = None, stats: dict | None = None) -> list[LanAddress]:
    """The laptop's IPv4 addresses that other devices on the venue network can reach.

    Loopback, link-local (169.254.x.x: no DHCP answered), interfaces that are down and the
    bridges of virtual machines and containers are left out.
    """
    interfaces = psutil.net_if_addrs() if interfaces is None else interfaces
    stats = psutil.net_if_stats() if stats is None else stats
    found = []
    for name, addresses in interfaces.items():
        if name in stats and not stats[name].isup:
            continue
        if name.startswith(VIRTUAL_INTERFACE_PREFIXES):
            continue
        for entry in addresses:
            if entry.family != socket.AF_INET:
                continue
            address = ipaddress.ip_address(entry.address)
            if address.is_loopback or address.is_link_local or address.is_unspecified:
                continue
            found.append(LanAddress(name, entry.address))
    return found


class VenueError(Exception):
    """The venue mode cannot tell which address the tablets should use."""


def choose_address(found: list[LanAddress], wanted: str | None, ask=None) -> str:
    """The address to print in the links: --address, the only one found, or the organizer's pick."""
    if wanted:
        return wanted
    if not found:
        raise VenueError(
            "Tidak ada alamat jaringan (LAN) di laptop ini. Sambungkan laptop ke Wi-Fi tempat acara "
            "(atau hotspot ponsel / router perjalanan), lalu jalankan lagi.\n"
            "(No LAN address found: connect the laptop to the venue Wi-Fi, a phone hotspot or a "
            "travel router, then run this again.)")
    if len(found) == 1:
        return found[0].address
    listing = "\n".join(f"  {n}) {a.address}  ({a.interface})" for n, a in enumerate(found, 1))
    if ask is None:
        raise VenueError(
            "Laptop ini punya beberapa alamat jaringan:\n" + listing + "\n"
            "Pilih yang tersambung ke Wi-Fi tempat acara, mis.: python wsgi.py --venue --address "
            f"{found[0].address}\n(Several LAN addresses: choose the venue network's with --address.)")
    choice = ask("Laptop ini punya beberapa alamat jaringan:\n" + listing + "\n"
                 "Nomor alamat Wi-Fi tempat acara (which one is the venue network?)", len(found))
    return found[choice - 1].address


def ask_number(question: str, count: int) -> int:
    """Ask on the terminal for a number from 1 to count."""
    return click.prompt(question, type=click.IntRange(1, count))


def venue_banner(app: Flask) -> str:
    """The links and the judges' QR code, as the organizer reads them in the terminal."""
    with app.app_context():
        base = app.config["PUBLIC_BASE_URL"]
        organizer = public_url("admin.dashboard")
        projector = public_url("display.hall")
        judges = public_url("judge.index")
    qr = io.StringIO()
    segno.make(judges, error="m").terminal(out=qr, compact=_terminal_has_blocks())
    return "\n".join([
        f"Papan Skor Langsung siap di {base} (server hari-H, gevent)",
        f"  Panitia   (organizer console): {organizer}",
        f"  Proyektor (projector):         {projector}",
        f"  Juri      (judges' login):     {judges}",
        "Pindai kode QR ini dengan tablet juri (scan it with each judge's tablet):",
        qr.getvalue(),
        "Tablet dan ponsel harus tersambung ke Wi-Fi yang sama. Windows bertanya soal Firewall: "
        "izinkan untuk jaringan Private. Hentikan dengan Ctrl+C.",
        "(Tablets and phones must be on the same Wi-Fi. If Windows Firewall asks, allow Private "
        "networks. Stop with Ctrl+C.)",
    ])


def _terminal_has_blocks() -> bool:
    """Half-block characters draw a QR code half as tall, where the terminal can print them."""
    try:
        "▀▄█".encode(sys.stdout.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def serve(app: Flask, host: str, port: int) -> None:
    """Serve until Ctrl+C: gevent's WSGI server, WebSocket included; errors still reach the log."""
    # Everything alive now (the app, its templates and mappers) lives until the end: moved out of
    # the collector's generations, it is not walked again by every collection that a push to
    # thousands of sockets sets off.
    gc.freeze()
    socketio.run(app, host=host, port=port, log_output=False)


def parse_args(argv: list[str] | None, app: Flask) -> argparse.Namespace:
    """`python wsgi.py [--venue] [--address A] [--host H] [--port P]`."""
    parser = argparse.ArgumentParser(
        prog="python wsgi.py",
        description="Server hari-H Papan Skor Langsung (the event-day server).")
    parser.add_argument("--venue", action="store_true",
                        help="listen on the venue network, use its address in every link and QR "
                             "code, and print the organizer, projector and judge links")
    parser.add_argument("--address", help="with --venue: the laptop's address the tablets use "
                                          "(when it has several)")
    parser.add_argument("--host", default=None, help="address to listen on (default: HOST, "
                                                     "127.0.0.1; with --venue 0.0.0.0)")
    parser.add_argument("--port", type=int, default=app.config["PORT"],
                        help="port (default: PORT, 5000)")
    args = parser.parse_args(argv)
    if args.address:
        try:
            ipaddress.ip_address(args.address)
        except ValueError:
            parser.error(f"--address {args.address!r} bukan alamat IP (not an IP address)")
    return args


def main(app: Flask, argv: list[str] | None = None) -> None:
    """Run the event-day server as `python wsgi.py` was asked to."""
    args = parse_args(argv, app)
    host = args.host or ("0.0.0.0" if args.venue else app.config["HOST"])
    if args.venue:
        try:
            address = choose_address(lan_addresses(), args.address,
                                     ask_number if sys.stdin.isatty() else None)
        except VenueError as error:
            sys.exit(str(error))
        if not app.config.get("PUBLIC_BASE_URL"):
            app.config["PUBLIC_BASE_URL"] = f"http://{address}:{args.port}"
        print(venue_banner(app), flush=True)
    else:
        print(f"Papan Skor Langsung: http://{host}:{args.port} (server hari-H, gevent; "
              "Ctrl+C untuk berhenti)", flush=True)
    serve(app, host, args.port)
