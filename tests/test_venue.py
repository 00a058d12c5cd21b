"""`python wsgi.py --venue`: the laptop's venue address in every link, printed for the organizer."""
import os
import socket
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from scoreboard import server
from scoreboard.server import LanAddress, VenueError, choose_address, lan_addresses
from scoreboard.services.access import login_link

ROOT = Path(__file__).resolve().parents[1]
Addr = namedtuple("Addr", "family address")
Stat = namedtuple("Stat", "isup")


def test_only_addresses_other_devices_can_reach_count():
    interfaces = {
        "lo": [Addr(socket.AF_INET, "127.0.0.1")],
        "wlan0": [Addr(socket.AF_INET6, "fe80::1"), Addr(socket.AF_INET, "192.168.1.10")],
        "eth0": [Addr(socket.AF_INET, "169.254.3.4")],  # no DHCP answer
        "docker0": [Addr(socket.AF_INET, "172.17.0.1")],
        "vEthernet (WSL)": [Addr(socket.AF_INET, "172.28.0.1")],
        "eth1": [Addr(socket.AF_INET, "10.0.0.7")],
    }
    stats = {"eth1": Stat(False), "wlan0": Stat(True)}
    assert lan_addresses(interfaces, stats) == [LanAddress("wlan0", "192.168.1.10")]


def test_one_address_is_used_as_it_is():
    assert choose_address([LanAddress("wlan0", "192.168.1.10")], None) == "192.168.1.10"


def test_no_address_says_what_to_do():
    with pytest.raises(VenueError) as error:
        choose_address([], None)
    assert "Tidak ada alamat jaringan" in str(error.value)
    assert "hotspot" in str(error.value)


def test_several_addresses_are_listed_and_the_organizer_chooses():
    found = [LanAddress("wlan0", "192.168.1.10"), LanAddress("eth0", "10.1.2.3")]
    with pytest.raises(VenueError) as error:
        choose_address(found, None)
    message = str(error.value)
    assert "beberapa alamat" in message
    assert "192.168.1.10  (wlan0)" in message and "10.1.2.3  (eth0)" in message
    assert "--address 192.168.1.10" in message
    assert choose_address(found, None, ask=lambda _question, _count: 2) == "10.1.2.3"
    assert choose_address(found, "10.1.2.3") == "10.1.2.3"


def test_venue_mode_puts_the_address_in_every_link_and_prints_them(app, monkeypatch, capsys):
    app.config["PUBLIC_BASE_URL"] = None
    served = {}
    monkeypatch.setattr(server, "lan_addresses", lambda: [LanAddress("wlan0", "192.168.1.10")])
    monkeypatch.setattr(server, "serve", lambda _app, host, port: served.update(host=host, port=port))
    server.main(app, ["--venue", "--port", "5077"])
    printed = capsys.readouterr().out
    assert served == {"host": "0.0.0.0", "port": 5077}
    assert app.config["PUBLIC_BASE_URL"] == "http://192.168.1.10:5077"
    assert "http://192.168.1.10:5077/admin/" in printed
    assert "http://192.168.1.10:5077/display" in printed
    assert "http://192.168.1.10:5077/judge/" in printed
    assert "Firewall" in printed
    assert "█" in printed or "\x1b[" in printed  # the QR code, drawn in the terminal
    # Judges' links and QR codes made later (cards, console) use the same address.
    assert login_link("abcd") == "http://192.168.1.10:5077/judge/login/ABCD"


def test_venue_mode_without_an_address_stops_with_the_reason(app, monkeypatch):
    monkeypatch.setattr(server, "lan_addresses", lambda: [])
    monkeypatch.setattr(server, "serve", lambda *_: pytest.fail("must not serve"))
    with pytest.raises(SystemExit) as stop:
        server.main(app, ["--venue"])
    assert "Tidak ada alamat jaringan" in str(stop.value.code)


def test_a_wrong_address_is_refused_before_anything_starts(app, monkeypatch, capsys):
    monkeypatch.setattr(server, "serve", lambda *_: pytest.fail("must not serve"))
    with pytest.raises(SystemExit):
        server.main(app, ["--venue", "--address", "laptop-saya"])
    assert "bukan alamat IP" in capsys.readouterr().err


def test_the_cli_prints_links_on_the_port_the_server_uses(tmp_path):
    env = dict(os.environ, PORT="5077", SCOREBOARD_INSTANCE_PATH=str(tmp_path),
               DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}", PUBLIC_BASE_URL="")
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "seed-demo"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:5077/judge/login/" in result.stdout
    assert ":5000" not in result.stdout
