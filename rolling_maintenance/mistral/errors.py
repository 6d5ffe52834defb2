"""What python-mistralclient raises when Mistral refuses or cannot be reached."""

from keystoneauth1 import exceptions as ks_exc
from mistralclient.api import base as mistral_base
import requests

MISTRAL_ERRORS = (mistral_base.APIException, requests.RequestException, ks_exc.ClientException)


def is_missing(exc):
    """Whether Mistral answered 404 (no such name or id)."""
    return getattr(exc, "error_code", None) == 404
