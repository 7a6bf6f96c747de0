package dev.capuchin.app.identity;

import java.time.Clock;
import java.time.Instant;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The registered clients as the authorization server sees them: a disabled client does
 * not exist for it (no sign-in, no token, no refresh). {@link #previousSecrets} is the
 * same view with each client's previous secret during a rotation's grace period, for a
 * second client-secret check after the current secret failed.
 */
final class EnabledClients implements RegisteredClientRepository {

	private final RegisteredClientRepository store;

	EnabledClients(RegisteredClientRepository store) {
		this.store = store;
	}

	@Override
	public void save(RegisteredClient client) {
		this.store.save(client);
	}

	@Override
	public RegisteredClient findById(String id) {
		return enabled(this.store.findById(id));
	}

	@Override
	public RegisteredClient findByClientId(String clientId) {
		return enabled(this.store.findByClientId(clientId));
	}

	private static RegisteredClient enabled(RegisteredClient client) {
		return (client != null && OAuthClients.enabled(client)) ? client : null;
	}

	/**
	 * The enabled clients whose previous secret still works, each with that secret's hash
	 * in place of the current one.
	 */
	RegisteredClientRepository previousSecrets(Clock clock) {
		return new RegisteredClientRepository() {

			@Override
			public void save(RegisteredClient client) {
				// a view with the previous secret's hash in place of the current one:
				// saving
				// it would put the old secret back, so only the store itself saves
				// clients
				throw new UnsupportedOperationException(
						"the previous-secret view of the OAuth clients is read only; save through EnabledClients");
			}

			@Override
			public RegisteredClient findById(String id) {
				return previous(EnabledClients.this.findById(id));
			}

			@Override
			public RegisteredClient findByClientId(String clientId) {
				return previous(EnabledClients.this.findByClientId(clientId));
			}

			private RegisteredClient previous(RegisteredClient client) {
				if (client == null) {
					return null;
				}
				String hash = client.getClientSettings().getSetting(OAuthClients.PREVIOUS_SECRET);
				String until = client.getClientSettings().getSetting(OAuthClients.PREVIOUS_SECRET_EXPIRES_AT);
				if (hash == null || until == null || !clock.instant().isBefore(Instant.parse(until))) {
					return null;
				}
				return RegisteredClient.from(client).clientSecret(hash).build();
			}

		};
	}

}
