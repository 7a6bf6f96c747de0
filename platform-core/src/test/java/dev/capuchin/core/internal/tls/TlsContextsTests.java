package dev.capuchin.core.internal.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import dev.capuchin.core.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.tcp.SslProvider;

import static org.assertj.core.api.Assertions.assertThat;

class TlsContextsTests {

	@TempDir
	Path temp;

	private final TlsContexts contexts = new TlsContexts(TlsSettings.DEFAULTS);

	@Test
	void oneContextPerCertificateIsShared() {
		TestCertificates.Issued issued = TestCertificates.issue(this.temp, "a.test");
		assertThat(this.contexts.provider(issued.tls(), false)).isSameAs(this.contexts.provider(issued.tls(), false));
	}

	@Test
	void unchangedFilesAreNotReloaded() {
		TestCertificates.Issued issued = TestCertificates.issue(this.temp, "a.test");
		SslProvider before = this.contexts.provider(issued.tls(), false);
		assertThat(this.contexts.reloadChanged()).isZero();
		assertThat(this.contexts.provider(issued.tls(), false)).isSameAs(before);
	}

	@Test
	void changedFilesAreReloaded() {
		TestCertificates.Issued issued = TestCertificates.issue(this.temp, "a.test");
		SslProvider before = this.contexts.provider(issued.tls(), false);
		TestCertificates.issue(this.temp, "a.test");
		assertThat(this.contexts.reloadChanged()).isEqualTo(1);
		assertThat(this.contexts.provider(issued.tls(), false)).isNotSameAs(before);
	}

	@Test
	void thePeriodicCheckReloadsChangedFilesOnceTheyHaveSettled() {
		TestCertificates.Issued issued = TestCertificates.issue(this.temp, "a.test");
		SslProvider before = this.contexts.provider(issued.tls(), false);
		TestCertificates.issue(this.temp, "a.test");
		assertThat(this.contexts.reloadSettled()).as("first look at the changed files").isZero();
		assertThat(this.contexts.provider(issued.tls(), false)).isSameAs(before);
		assertThat(this.contexts.reloadSettled()).isEqualTo(1);
		assertThat(this.contexts.provider(issued.tls(), false)).isNotSameAs(before);
	}

	@Test
	void thePeriodicCheckNeverLoadsACertificateBesideTheKeyItReplaces() throws IOException {
		TestCertificates.Issued issued = TestCertificates.issue(this.temp, "a.test");
		SslProvider before = this.contexts.provider(issued.tls(), false);
		TestCertificates.Issued renewal = TestCertificates.issue(this.temp.resolve("renewal"), "a.test");
		Files.copy(renewal.tls().certificate(), issued.tls().certificate(), StandardCopyOption.REPLACE_EXISTING);
		assertThat(this.contexts.reloadSettled()).isZero();
		Files.copy(renewal.tls().privateKey(), issued.tls().privateKey(), StandardCopyOption.REPLACE_EXISTING);
		assertThat(this.contexts.reloadSettled()).as("the key changed since the previous look").isZero();
		assertThat(this.contexts.provider(issued.tls(), false)).isSameAs(before);
		assertThat(this.contexts.reloadSettled()).isEqualTo(1);
	}

	@Test
	void certificatesNoLongerInUseAreDropped() {
		TestCertificates.Issued a = TestCertificates.issue(this.temp, "a.test");
		TestCertificates.Issued b = TestCertificates.issue(this.temp, "b.test");
		SslProvider keptA = this.contexts.provider(a.tls(), false);
		SslProvider droppedB = this.contexts.provider(b.tls(), false);
		this.contexts.retainOnly(List.of(a.tls()));
		assertThat(this.contexts.provider(a.tls(), false)).isSameAs(keptA);
		assertThat(this.contexts.provider(b.tls(), false)).isNotSameAs(droppedB);
	}

	@Test
	void rotationKeepsThePreviousKeyForDecryption() {
		byte[] first = this.contexts.ticketKeyNames().get(0);
		this.contexts.rotateTicketKeys();
		List<byte[]> names = this.contexts.ticketKeyNames();
		assertThat(names).hasSize(2);
		assertThat(names.get(1)).isEqualTo(first);
		assertThat(names.get(0)).isNotEqualTo(first);
	}

}
