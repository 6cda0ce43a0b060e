-- Run once, when the postgres volume is new: one database per service, the same names as
-- tools/dev/stack.ts SERVICE_DATABASES and the k8s dev overlay.
CREATE DATABASE accounts;
CREATE DATABASE welcome_email;
CREATE DATABASE abuse_scan;
CREATE DATABASE provisioning;
CREATE DATABASE tenants;
