"""The login throttle (issue 13, item 10): only failures count, per address and per account or
code, and a correct judge code is never blocked by others' failures behind the same NAT."""
import pytest

from scoreboard import create_app
from tests.conftest import base_config
from tests.factories import gen_organizer, gen_small_contest

HALL = {"REMOTE_ADDR": "10.20.0.1"}  # every tablet of the hall, behind one NAT address


@pytest.fixture
def limited(app, tmp_path):
    """A client of an app whose login throttle is on."""
    config = base_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    return create_app({**config, "RATELIMIT_ENABLED": True}).test_client()


def organizer_login(client, password, address="10.30.0.1", username="panitia"):
    return client.post("/admin/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_successful_organizer_logins_never_count(app, limited):
    gen_organizer(password="benar-sekali")
    assert [organizer_login(limited, "benar-sekali") for _ in range(15)] == [302] * 15
    assert organizer_login(limited, "salah") == 403  # still throttled only after failures


def test_failures_are_throttled_per_account_from_any_address(app, limited):
    gen_organizer(password="benar-sekali")
    codes = [organizer_login(limited, "salah", address=f"10.30.1.{n}") for n in range(6)]
    assert codes == [403] * 5 + [429]
    assert organizer_login(limited, "salah", address="10.30.1.9", username="lain") == 403


def test_failures_are_throttled_per_address(app, limited):
    codes = [organizer_login(limited, "salah", address="10.30.2.1", username=f"akun{n}")
             for n in range(11)]
    assert codes == [403] * 10 + [429]


def judge_login(client, code, address=HALL):
    return client.post("/judge/login", data={"code": code}, environ_base=address).status_code


def test_a_correct_code_is_never_blocked_by_the_halls_failures(app, limited):
    _event, _contest, _teams, (_a, code_a), (_b, code_b) = gen_small_contest()
    failures = [judge_login(limited, f"SALAH-KODE-{n:04d}") for n in range(11)]
    assert failures == [403] * 10 + [429]
    assert judge_login(limited, code_a) == 302
    link = limited.get(f"/judge/login/{code_b.replace('-', '')}", environ_base=HALL)
    assert link.status_code == 302
    assert judge_login(limited, "SALAH-KODE-9999") == 429  # the hall's wrong codes still wait


def test_one_wrong_code_is_throttled_from_any_address(app, limited):
    codes = [judge_login(limited, "ABCD-EFGH-JKMN", {"REMOTE_ADDR": f"10.40.0.{n}"})
             for n in range(6)]
    assert codes == [403] * 5 + [429]
