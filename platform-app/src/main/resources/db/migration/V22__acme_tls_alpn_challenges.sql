-- TLS-ALPN-01 challenges (RFC 8737): the self-signed certificate that answers a CA's
-- acme-tls/1 handshake for a host name, in the store so that whichever node the CA reaches
-- shows it. Its throwaway key is encrypted with the master key like every other key here.
-- Portable between H2 and PostgreSQL.

create table acme_tls_alpn_challenge (
    name                   varchar(255) not null primary key,
    certificate            text not null,
    private_key_encrypted  text not null,
    expires_at             timestamp with time zone not null
);
