"""Sample plug-ins, apart from the product.

They stand, on the simulated cloud, for what a real site plugs into a
session (its own upgrade tooling). A production install registers none of
them: `setup.cfg`'s `mistral.actions` entry points name only the product's
`maintenance.*` actions, and the `maintenance_samples` workbook ships in a
folder of its own. The demo, the tests and `rolling-maintenance-mistral
--samples` register them through Mistral's own API (`registry.register`).
"""
