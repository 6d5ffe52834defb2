"""The sample tenant application manager (VNFM): an ACT-STDBY pair plus scalable
non-redundant instances, answering maintenance notifications like the OPNFV
Doctor sample and Tacker do. `manager.SampleVnfm` is the entry point; its
role log is what `rolling_maintenance.audit.availability` holds against the
cloud's event log to judge the downtime of the active instance. Like any
tenant it speaks only the cloud's public APIs (`tenant_cloud`), never through
the admin side's adapters (`rolling_maintenance.cloud`)."""
