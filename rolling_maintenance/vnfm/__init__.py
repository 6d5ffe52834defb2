"""The sample tenant application manager (VNFM): an ACT-STDBY pair plus scalable
non-redundant instances, answering maintenance notifications like the OPNFV
Doctor sample and Tacker do. `manager.SampleVnfm` is the entry point;
`availability` judges the downtime of its active instance."""
