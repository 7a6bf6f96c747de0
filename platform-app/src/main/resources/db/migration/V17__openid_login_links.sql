-- Brokering: which realm user a person signed in through an OpenID login is. A person is
-- the provider's subject (sub) at one login; the first sign-in links them to the realm
-- user with their email (link-claim email) or makes a new realm user without a password,
-- and every later sign-in finds the same user here, whatever their email has become.
-- created tells the users a login made from those it linked. Portable between H2 and
-- PostgreSQL.

create table openid_login_link (
    login       varchar(64) not null,
    subject     varchar(255) not null,
    realm       varchar(64) not null,
    username    varchar(64) not null,
    created     boolean not null,
    linked_at   timestamp with time zone not null,
    primary key (login, subject, realm)
);
