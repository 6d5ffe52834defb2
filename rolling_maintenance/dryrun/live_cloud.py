"""The dry run's live cloud: Nova's snapshot with the constraints the projects
registered through the constraints API, read from Mistral and laid on the
way a session's planning step lays them (`mistral.constraints.constrained_snapshot`),
so `plan --cloud` predicts the session's plan.

The inventory carries what was read under `constraints`: `{"source":
"mistral", "groups", "instances", "ignored"}` (counts, see
`constraints_merge.merge_constraints`), or `{"source": "none"}` with
`--without-constraints`. Mistral is read as the cloud's identity (its URL from
the catalog) unless `--mistral-url` or `--mistral-cloud` say otherwise.
"""

import argparse
from urllib.parse import urlparse

from rolling_maintenance.mistral import client as mistral_client
from rolling_maintenance.mistral import constraints as mistral_constraints
from rolling_maintenance.mistral.errors import MISTRAL_ERRORS

MISTRAL_OPTIONS = ("mistral_url", "mistral_cloud", "without_constraints")
SKIPPED = {"source": "none"}


class ConstraintsUnreadable(Exception):
    """Mistral cannot be reached or refuses: the message names it and the way out."""


def http_url(text):
    """`--mistral-url`: an http(s) URL."""
    if urlparse(text).scheme not in ("http", "https") or not urlparse(text).netloc:
        raise argparse.ArgumentTypeError("must be an http(s) URL like http://127.0.0.1:8989/v2, got %r" % text)
    return text


def add_arguments(parser):
    parser.add_argument("--mistral-url", type=http_url, metavar="URL",
                        help="read the constraints from the Mistral API at URL, without auth "
                             "(the embedded Mistral), or as --mistral-cloud (default: the "
                             "cloud's catalog, as the cloud's identity)")
    parser.add_argument("--mistral-cloud", metavar="NAME",
                        help="read the constraints as this clouds.yaml entry (the identity the "
                             "constraints API and the actions use; default: the cloud's)")
    parser.add_argument("--without-constraints", action="store_true",
                        help="plan from the cloud alone, without the constraints registered in Mistral")


def argument_problem(args):
    """What is wrong with the Mistral options together, or None."""
    if args.without_constraints and (args.mistral_url or args.mistral_cloud):
        return "--without-constraints reads no Mistral: drop --mistral-url and --mistral-cloud"
    return None


def mistral_source(args):
    """Where the constraints are read, in the operator's words."""
    if args.mistral_cloud:
        return "Mistral %s as cloud %s" % (args.mistral_url or "in the catalog", args.mistral_cloud)
    if args.mistral_url:
        return "Mistral %s" % args.mistral_url
    return "Mistral in the catalog of %s" % ("cloud %s" % args.cloud if args.cloud else "the environment's cloud")


def _client(args):
    if args.mistral_url and not args.mistral_cloud:
        return mistral_client.for_service(args.mistral_url)
    return mistral_client.for_cloud(args.mistral_cloud or args.cloud, args.mistral_url)


def read_live_cloud(args):
    """The inventory of cloud `args.cloud` as a session plans it; raises
    `CloudError` (the cloud) or `ConstraintsUnreadable` (Mistral)."""
    from rolling_maintenance import cloud
    from rolling_maintenance.cloud.errors import CloudError

    snapshot = cloud.snapshot(cloud.connect(cloud=args.cloud))
    if args.without_constraints:
        return dict(snapshot, constraints=dict(SKIPPED))
    try:
        merged, counts = mistral_constraints.constrained_snapshot(snapshot, _client(args))
    except (mistral_client.NoMistral, CloudError, *MISTRAL_ERRORS) as exc:
        raise ConstraintsUnreadable(
            "cannot read the projects' constraints from %s: %s; a session plans with them: "
            "give --mistral-url or --mistral-cloud, or plan from the cloud alone with "
            "--without-constraints" % (mistral_source(args), str(exc) or type(exc).__name__)) from exc
    return dict(merged, constraints=dict(counts, source="mistral"))


def constraints_line(record):
    """One line saying which constraints a plan rests on."""
    if record.get("source") == "mistral":
        return "constraints from Mistral: %s group(s), %s instance(s), %s ignored " \
               "(another project's, or not in the cloud)" % (
                   record.get("groups"), record.get("instances"), record.get("ignored"))
    if record.get("source") == "none":
        return "constraints: none read (--without-constraints): the cloud alone"
    return "constraints: as the inventory gives them"
