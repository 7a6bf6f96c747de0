package dev.capuchin.app.transfer;

import dev.capuchin.app.realms.Realm;
import dev.capuchin.app.realms.RealmRules;
import dev.capuchin.app.realms.RealmUser;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.sites.SiteEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.capuchin.core.internal.site.SiteLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code realms:} list of configuration documents and of their differences.
 */
class ConfigDocumentRealmsTests {

	private static final String BCRYPT = RealmRules.hash("alice-password");

	private static final String SHA = "{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=";

	@TempDir
	Path temp;

	private List<SiteEntry> sites;

	@BeforeEach
	void site() throws Exception {
		Path root = Files.createDirectories(this.temp.resolve("root"));
		this.sites = List.of(new SiteEntry(new SiteLoader(this.temp).parse(
				new java.util.LinkedHashMap<>(java.util.Map.of("name", "shop", "document-root", root.toString())),
				null), true));
	}

	@Test
	void realmsRoundTripWithTheirHashes() {
		List<Realm> realms = List.of(realm("Staff", "the staff", user("bob", SHA), user("alice", BCRYPT)),
				realm("Empty", ""));
		String text = ConfigDocument.write(this.sites, realms, 7);
		assertThat(text).contains("keep it private", "realms:", "password-hash: " + BCRYPT);
		ConfigDocument.Document read = ConfigDocument.readDocument(text, this.temp);
		assertThat(read.sites()).extracting(SiteEntry::name).containsExactly("shop");
		assertThat(read.realms()).extracting(Realm::name).containsExactly("Staff", "Empty");
		assertThat(read.realms().get(0).description()).isEqualTo("the staff");
		assertThat(read.realms().get(0).users()).extracting(RealmUser::name).containsExactly("alice", "bob");
		assertThat(read.realms().get(0).users()).extracting(RealmUser::passwordHash).containsExactly(BCRYPT, SHA);
		assertThat(ConfigDiff.between(this.sites, realms, read.sites(), read.realms()).isEmpty()).isTrue();
	}

	@Test
	void realmUsersProfilesRoundTripAndAChangedProfileShowsInTheDifference() {
		RealmUser alice = new RealmUser("alice", BCRYPT, "alice@example.com", "Alice Liddell",
				List.of("staff", "admins"), null);
		List<Realm> realms = List.of(realm("Staff", "", alice, user("bob", SHA)));
		String text = ConfigDocument.write(this.sites, realms, 2);
		assertThat(text).contains("email: alice@example.com", "display-name: Alice Liddell", "- admins", "- staff");
		List<RealmUser> read = ConfigDocument.readDocument(text, this.temp).realms().get(0).users();
		assertThat(read.get(0)).isEqualTo(alice);
		assertThat(read.get(1).email()).isNull();
		assertThat(read.get(1).displayName()).isNull();
		assertThat(read.get(1).groups()).isEmpty();
		List<Realm> changed = List.of(realm("Staff", "",
				alice.withProfile("alice@example.org", "Alice Liddell", List.of("staff")), user("bob", SHA)));
		ConfigDiff diff = ConfigDiff.between(this.sites, realms, this.sites, changed);
		assertThat(diff.realms()).hasSize(1);
		assertThat(diff.realms().get(0).after()).contains("- alice (profile changed)", "- bob")
			.doesNotContain("bob (profile changed)");
	}

	@Test
	void aDocumentWithoutRealmsLeavesThemAloneAndAnEmptyListRemovesThem() {
		String sitesOnly = ConfigDocument.write(this.sites, 3);
		assertThat(sitesOnly).doesNotContain("realms");
		assertThat(ConfigDocument.readDocument(sitesOnly, this.temp).realms()).isNull();
		assertThat(ConfigDocument.read(sitesOnly, this.temp)).hasSize(1);
		String none = ConfigDocument.write(this.sites, List.of(), 3);
		assertThat(none).contains("realms: []");
		assertThat(ConfigDocument.readDocument(none, this.temp).realms()).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					realms: {name: x}                                                     | realms: expected a list of realms
					realms: [{name: 'no space'}]                                          | realms[0].name: 'no space' (expected: 1 to 64
					realms: [{description: x}]                                            | realms[0].name: missing (expected: a realm name)
					realms: [{name: A}, {name: A}]                                        | realms[1].name: 'A' is listed twice
					realms: [{name: A, user: []}]                                         | realms[0].user: unknown key (expected: name, description, users)
					realms: [{name: A, users: [{name: bob}]}]                             | realms[0].users[0].password-hash: missing
					realms: [{name: A, users: [{name: bob, password-hash: letmein}]}]     | realms[0].users[0].password-hash: user bob: plaintext password or crypt(3) hash refused
					realms: [{name: A, users: [{name: 'b c', password-hash: x}]}]         | realms[0].users[0].name: 'b c' (expected: 1 to 64
					realms: [{name: A, users: [{name: bob, password: letmein}]}]          | realms[0].users[0].password: unknown key (expected: name, password-hash, email, display-name, groups)
					realms: [{name: A, users: [{name: bob, password-hash: '{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=', email: 'not an address'}]}] | realms[0].users[0].email: 'not an address' (expected: an address like name@example.com
					realms: [{name: A, users: [{name: bob, password-hash: '{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=', groups: staff}]}]          | realms[0].users[0].groups: expected a list of group names
					realms: [{name: A, users: [{name: bob, password-hash: '{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=', groups: ['a,b']}]}]      | realms[0].users[0].groups: 'a,b' (expected: 1 to 64 letters
					""")
	void invalidRealmsAreRefusedNamingTheEntryAndFieldNeverAPassword(String realms, String message) {
		String text = ConfigDocument.write(this.sites, 1) + realms + "\n";
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> ConfigDocument.readDocument(text, this.temp))
			.withMessageStartingWith(message)
			.withMessageNotContaining("letmein");
	}

	@Test
	void theDifferenceNamesRealmsAndUsersAndMarksChangedPasswordsWithoutHashes() {
		List<Realm> before = List.of(realm("Staff", "", user("alice", BCRYPT), user("bob", SHA)), realm("Gone", ""));
		List<Realm> after = List.of(
				realm("Staff", "", user("alice", RealmRules.hash("other-password")), user("carol", SHA)),
				realm("New", "fresh"));
		ConfigDiff diff = ConfigDiff.between(this.sites, before, this.sites, after);
		assertThat(diff.changes()).isEmpty();
		assertThat(diff.realms()).extracting(ConfigDiff.RealmChange::realm).containsExactly("Gone", "New", "Staff");
		assertThat(diff.realms()).extracting(ConfigDiff.RealmChange::kind)
			.containsExactly(ConfigDiff.Kind.REMOVED, ConfigDiff.Kind.ADDED, ConfigDiff.Kind.CHANGED);
		ConfigDiff.RealmChange staff = diff.realms().get(2);
		assertThat(staff.before()).contains("- alice", "- bob").doesNotContain("$2", "{SHA}");
		assertThat(staff.after()).contains("- alice (password changed)", "- carol").doesNotContain("$2", "{SHA}");
		assertThat(diff.toYaml(4, false)).contains("realm: Staff", "change: changed").doesNotContain("$2", "{SHA}");
	}

	private static Realm realm(String name, String description, RealmUser... users) {
		return new Realm(name, description, List.of(users), null);
	}

	private static RealmUser user(String name, String hash) {
		return new RealmUser(name, hash, null);
	}

}
