"""The one place that builds a Mistral client and reads or writes Mistral's own records.

`client` builds python-mistralclient v2 clients (for an action, a command
line or a service); `environments`, `executions`, `constraints` and `asks`
are what the project keeps in, or reads from, Mistral's database.
"""
