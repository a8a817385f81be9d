import pytest
from sqlmodel import Session

from tests.imports.helpers import Omgeving, maak_omgeving


@pytest.fixture
def omgeving(session: Session) -> Omgeving:
    """An organisation with key persons Mays A. and Fátima E. and ketenpartner UWV."""
    return maak_omgeving(session)
