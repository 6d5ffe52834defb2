"""Numbers in reasons, worded the way an operator reads them."""


def plural(number, word):
    return "%d %s%s" % (number, word, "" if number == 1 else "s")


def size(vcpus, ram_mb):
    """"2 vcpus and 2048 MB"."""
    return "%s and %d MB" % (plural(vcpus, "vcpu"), ram_mb)
