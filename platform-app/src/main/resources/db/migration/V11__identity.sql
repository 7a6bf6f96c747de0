-- Identity: Spring Security's authorization server tables (registered clients, authorizations,
-- consents) and the signing keys. Spring's own schema uses 'blob' and 'timestamp'; here the
-- large columns are 'text' and the instants 'timestamp with time zone', which both H2 and
-- PostgreSQL accept (the JDBC services read each column's type and bind text columns as
-- strings), so one migration serves both stores.

create table oauth2_registered_client (
    id                            varchar(100) not null primary key,
    client_id                     varchar(100) not null,
    client_id_issued_at           timestamp with time zone default current_timestamp not null,
    client_secret                 varchar(200) default null,
    client_secret_expires_at      timestamp with time zone default null,
    client_name                   varchar(200) not null,
    client_authentication_methods varchar(1000) not null,
    authorization_grant_types     varchar(1000) not null,
    redirect_uris                 varchar(1000) default null,
    post_logout_redirect_uris     varchar(1000) default null,
    scopes                        varchar(1000) not null,
    client_settings               varchar(2000) not null,
    token_settings                varchar(2000) not null,
    constraint oauth2_registered_client_client_id unique (client_id)
);

create table oauth2_authorization (
    id                            varchar(100) not null primary key,
    registered_client_id          varchar(100) not null,
    principal_name                varchar(200) not null,
    authorization_grant_type      varchar(100) not null,
    authorized_scopes             varchar(1000) default null,
    attributes                    text default null,
    state                         varchar(500) default null,
    authorization_code_value      text default null,
    authorization_code_issued_at  timestamp with time zone default null,
    authorization_code_expires_at timestamp with time zone default null,
    authorization_code_metadata   text default null,
    access_token_value            text default null,
    access_token_issued_at        timestamp with time zone default null,
    access_token_expires_at       timestamp with time zone default null,
    access_token_metadata         text default null,
    access_token_type             varchar(100) default null,
    access_token_scopes           varchar(1000) default null,
    oidc_id_token_value           text default null,
    oidc_id_token_issued_at       timestamp with time zone default null,
    oidc_id_token_expires_at      timestamp with time zone default null,
    oidc_id_token_metadata        text default null,
    refresh_token_value           text default null,
    refresh_token_issued_at       timestamp with time zone default null,
    refresh_token_expires_at      timestamp with time zone default null,
    refresh_token_metadata        text default null,
    user_code_value               text default null,
    user_code_issued_at           timestamp with time zone default null,
    user_code_expires_at          timestamp with time zone default null,
    user_code_metadata            text default null,
    device_code_value             text default null,
    device_code_issued_at         timestamp with time zone default null,
    device_code_expires_at        timestamp with time zone default null,
    device_code_metadata          text default null
);

create index oauth2_authorization_client on oauth2_authorization (registered_client_id);

create table oauth2_authorization_consent (
    registered_client_id varchar(100) not null,
    principal_name       varchar(200) not null,
    authorities          varchar(1000) not null,
    primary key (registered_client_id, principal_name)
);

-- Signing keys: the private JWK encrypted under the master key (AES-GCM), so a copy of the
-- store alone cannot sign. 'active' signs; 'retiring' is still published in the JWK set until
-- retire_at, when every token it signed has expired; then it is deleted.
create table identity_signing_key (
    kid            varchar(64) not null primary key,
    algorithm      varchar(16) not null,
    state          varchar(16) not null,
    encrypted_jwk  text not null,
    created_at     timestamp with time zone not null,
    retire_at      timestamp with time zone default null
);
