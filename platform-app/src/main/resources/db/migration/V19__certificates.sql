-- Certificates from an ACME CA (RFC 8555). The account key and each certificate's private
-- key are encrypted with the master key (AES-GCM, Base64 of IV and cipher text), so every
-- node of a cluster serves the same certificates. A certificate row exists from the first
-- attempt on, so that a failure, its back-off and the next attempt are shared by every node
-- before any certificate is issued. The lease columns say which node orders for the site
-- now, so that the nodes of a cluster never order the same names at once. HTTP-01 tokens live here too, so that any node answers
-- the CA's validation. Portable between H2 and PostgreSQL.

create table acme_account (
    directory              varchar(1000) not null primary key,
    email                  varchar(320),
    key_pair_encrypted     text not null,
    location               varchar(1000),
    created_at             timestamp with time zone not null
);

create table acme_challenge (
    token                  varchar(256) not null primary key,
    key_authorization      varchar(1000) not null,
    expires_at             timestamp with time zone not null
);

create table certificate (
    name                   varchar(64) not null primary key,
    names                  varchar(4000) not null,
    source                 varchar(16) not null,
    issuer                 varchar(1000),
    serial                 varchar(128),
    not_before             timestamp with time zone,
    not_after              timestamp with time zone,
    certificate_chain      text,
    private_key_encrypted  text,
    next_attempt           timestamp with time zone not null,
    failures               integer not null,
    last_error             varchar(2000),
    updated_at             timestamp with time zone not null,
    lease_owner            varchar(200),
    lease_until            timestamp with time zone
);

-- A site whose certificate comes from the ACME CA (tls: {acme: true}) names no files.
alter table site add column tls_acme boolean default false not null;
