"""Server worker processes die with their parent.

`uvicorn --workers N` starts N worker processes under a supervisor. When the supervisor is killed
with SIGKILL it cannot stop them: they kept serving the port, and a restart failed with "Address
already in use". On Linux a worker asks the kernel for SIGTERM when its parent dies
(PR_SET_PDEATHSIG), and shuts down as after a normal stop. Elsewhere, run under a process manager
(systemd, or gunicorn with uvicorn workers), which the README describes.
"""

import ctypes
import logging
import multiprocessing
import os
import signal
import sys

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


def sterf_met_ouder() -> bool:
    """In a worker process of a supervisor: get SIGTERM when the supervisor dies. True if set."""
    ouder = multiprocessing.parent_process()
    if ouder is None or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    except (OSError, AttributeError) as exc:
        logger.warning("Workers will not die with their parent: %s", exc)
        return False
    if os.getppid() != ouder.pid:  # the parent died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)
    return True
