"""The background round of each worker (app/core/poller.py): it keeps going after a failed round and stops."""

import threading

from app.core.poller import Poller


def test_a_failed_round_does_not_stop_the_poller_and_stop_ends_it() -> None:
    rondes: list[int] = []
    opgeruimd: list[int] = []
    genoeg = threading.Event()

    def stap() -> None:
        rondes.append(1)
        if len(rondes) == 2:
            raise RuntimeError("database weg")  # the next round must still come
        if len(rondes) >= 4:
            genoeg.set()

    poller = Poller("test-poller", 0.001, stap=stap, opruimen=lambda: opgeruimd.append(1), opruim_interval=3600)
    poller.start()
    assert genoeg.wait(10), "the poller stopped after a failed round"
    poller.stop()
    poller._thread.join(10)
    assert not poller._thread.is_alive()
    assert len(opgeruimd) == 1  # at once, then not again within the hour
    assert poller._thread.name == "test-poller"
