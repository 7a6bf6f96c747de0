package dev.capuchin.app.realms;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The realm tables and {@link RealmStore}, run against each supported database.
 */
abstract class RealmStoreRepositoryTests {

	private static final String HASH_ONE = "$2y$04$abcdefghijklmnopqrstuu9gKdC6qHQMQnCZ0ZzWd6CyVQ0V3tTzy";

	private static final String HASH_TWO = "{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=";

	private JdbcTemplate jdbc;

	private RealmStore realms;

	protected abstract DataSource dataSource();

	@BeforeEach
	void migrate() {
		DataSource dataSource = dataSource();
		Flyway flyway = Flyway.configure().dataSource(dataSource).cleanDisabled(false).load();
		flyway.clean();
		flyway.migrate();
		this.jdbc = new JdbcTemplate(dataSource);
		this.realms = new RealmStore(this.jdbc);
	}

	@Test
	void realmsAndTheirUsersRoundTripByName() {
		assertThat(this.realms.findAll()).isEmpty();
		this.realms.replaceAll(List
			.of(realm("Staff", "the staff pages", user("bob", HASH_TWO), user("alice", HASH_ONE)), realm("Board", "")));
		List<Realm> loaded = this.realms.findAll();
		assertThat(loaded).extracting(Realm::name).containsExactly("Board", "Staff");
		Realm staff = loaded.get(1);
		assertThat(staff.description()).isEqualTo("the staff pages");
		assertThat(staff.createdAt()).isNotNull();
		assertThat(staff.users()).extracting(RealmUser::name).containsExactly("alice", "bob");
		assertThat(staff.users()).extracting(RealmUser::passwordHash).containsExactly(HASH_ONE, HASH_TWO);
		assertThat(staff.users()).allSatisfy((user) -> assertThat(user.createdAt()).isNotNull());
		assertThat(loaded.get(0).users()).isEmpty();
		assertThat(this.realms.find("Staff")).contains(staff);
		assertThat(this.realms.find("Nobody")).isEmpty();
	}

	@Test
	void aUsersProfileIsStoredChangedAndCleared() {
		RealmUser alice = new RealmUser("alice", HASH_ONE, "alice@example.com", "Alice Liddell",
				List.of("staff", "admins"), null);
		this.realms.replaceAll(List.of(realm("Staff", "", alice, user("bob", HASH_TWO))));
		RealmUser stored = this.realms.find("Staff").orElseThrow().user("alice").orElseThrow();
		assertThat(stored.email()).isEqualTo("alice@example.com");
		assertThat(stored.displayName()).isEqualTo("Alice Liddell");
		assertThat(stored.groups()).containsExactly("admins", "staff");
		assertThat(this.realms.find("Staff").orElseThrow().user("bob").orElseThrow().groups()).isEmpty();
		this.realms.replaceAll(List.of(realm("Staff", "", stored.withProfile(null, "Alice", List.of()))));
		RealmUser changed = this.realms.find("Staff").orElseThrow().user("alice").orElseThrow();
		assertThat(changed.email()).isNull();
		assertThat(changed.displayName()).isEqualTo("Alice");
		assertThat(changed.groups()).isEmpty();
		assertThat(changed.passwordHash()).isEqualTo(HASH_ONE);
	}

	@Test
	void replacingUpdatesWhatChangedAndKeepsCreationTimesOfWhatStays() throws Exception {
		this.realms.replaceAll(List.of(realm("Staff", "old", user("alice", HASH_ONE), user("bob", HASH_TWO))));
		Realm before = this.realms.find("Staff").orElseThrow();
		Instant aliceCreated = before.user("alice").orElseThrow().createdAt();
		// the store stamps rows with the time of day: let it move past alice's stamp
		await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(aliceCreated));
		this.realms.replaceAll(List.of(realm("Staff", "new", user("alice", HASH_TWO), user("carol", HASH_ONE))));
		Realm after = this.realms.find("Staff").orElseThrow();
		assertThat(after.description()).isEqualTo("new");
		assertThat(after.createdAt()).isEqualTo(before.createdAt());
		assertThat(after.users()).extracting(RealmUser::name).containsExactly("alice", "carol");
		assertThat(after.user("alice").orElseThrow().passwordHash()).isEqualTo(HASH_TWO);
		assertThat(after.user("alice").orElseThrow().createdAt()).isEqualTo(aliceCreated);
		assertThat(after.user("carol").orElseThrow().createdAt()).isAfter(aliceCreated);
	}

	@Test
	void aRealmLeftOutIsDeletedWithItsUsers() {
		this.realms.replaceAll(List.of(realm("Staff", "", user("alice", HASH_ONE)), realm("Board", "")));
		this.realms.replaceAll(List.of(realm("Board", "")));
		assertThat(this.realms.findAll()).extracting(Realm::name).containsExactly("Board");
		assertThat(this.jdbc.queryForObject("select count(*) from auth_realm_user", Integer.class)).isZero();
	}

	@Test
	void deletingARealmRowCascadesToItsUsers() {
		this.realms.replaceAll(List.of(realm("Staff", "", user("alice", HASH_ONE), user("bob", HASH_TWO))));
		this.jdbc.update("delete from auth_realm where name = ?", "Staff");
		assertThat(this.jdbc.queryForObject("select count(*) from auth_realm_user", Integer.class)).isZero();
	}

	@Test
	void realmNamesAndUserNamesWithinARealmAreUnique() {
		this.realms.replaceAll(List.of(realm("Staff", "", user("alice", HASH_ONE)), realm("Board", "")));
		Long staff = this.jdbc.queryForObject("select id from auth_realm where name = 'Staff'", Long.class);
		Long board = this.jdbc.queryForObject("select id from auth_realm where name = 'Board'", Long.class);
		assertThatExceptionOfType(DataIntegrityViolationException.class).isThrownBy(() -> this.jdbc
			.update("insert into auth_realm (name, description, created_at) values ('Staff', '', current_timestamp)"));
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.jdbc.update("insert into auth_realm_user (realm_id, username, password_hash, "
					+ "created_at) values (?, 'alice', 'x', current_timestamp)", staff));
		this.jdbc.update("insert into auth_realm_user (realm_id, username, password_hash, created_at) "
				+ "values (?, 'alice', 'x', current_timestamp)", board);
		assertThat(this.realms.find("Board").orElseThrow().users()).extracting(RealmUser::name)
			.containsExactly("alice");
	}

	@Test
	void aUserMustBelongToAnExistingRealm() {
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.jdbc.update("insert into auth_realm_user (realm_id, username, password_hash, "
					+ "created_at) values (4711, 'alice', 'x', current_timestamp)"));
	}

	private static Realm realm(String name, String description, RealmUser... users) {
		return new Realm(name, description, List.of(users), null);
	}

	private static RealmUser user(String name, String hash) {
		return new RealmUser(name, hash, null);
	}

}
