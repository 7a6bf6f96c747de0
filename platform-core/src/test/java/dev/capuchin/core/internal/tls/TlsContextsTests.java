package dev.capuchin.core.internal.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import javax.net.ssl.SSLEngine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.capuchin.core.testing.TestCertificates;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCounted;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import reactor.netty.tcp.SslProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
	void aRenewedCertificateTakesThePlaceOfTheOneItReplaces() {
		TestCertificates.Issued first = TestCertificates.issue(this.temp.resolve("1"), "a.test");
		TestCertificates.Issued renewal = TestCertificates.issue(this.temp.resolve("2"), "a.test");
		SslProvider before = this.contexts.issued("a", first.tls(), false);
		assertThat(this.contexts.issued("a", first.tls(), false)).isSameAs(before);
		SslProvider after = this.contexts.issued("a", renewal.tls(), false);
		assertThat(after).isNotSameAs(before);
		assertThat(this.contexts.issued("a", renewal.tls(), false)).isSameAs(after);
		assertThat(this.contexts.issuedCount()).isOne();
	}

	@Test
	void aReplacedContextIsReleasedOnceTheLastConnectionThatUsesItCloses() {
		assumeTrue(TlsEngine.OPENSSL.isAvailable(), "OpenSSL engine");
		TlsContexts openssl = new TlsContexts(new TlsSettings("openssl", TlsSettings.DEFAULTS.ticketKeyRotation(),
				TlsSettings.DEFAULTS.reloadInterval(), false));
		TestCertificates.Issued first = TestCertificates.issue(this.temp.resolve("1"), "a.test");
		TestCertificates.Issued renewal = TestCertificates.issue(this.temp.resolve("2"), "a.test");
		SslContext replaced = openssl.issued("a", first.tls(), false).getSslContext();
		assertThat(replaced).isInstanceOf(ReferenceCounted.class);
		// an open connection: the engine of a handshake made before the renewal
		SSLEngine connection = replaced.newEngine(ByteBufAllocator.DEFAULT);
		openssl.issued("a", renewal.tls(), false);
		assertThat(((ReferenceCounted) replaced).refCnt()).as("held by the open connection only").isOne();
		// what SslHandler does when the connection closes
		((ReferenceCounted) connection).release();
		assertThat(((ReferenceCounted) replaced).refCnt()).isZero();
	}

	@Test
	void theFilesOfAReplacedCertificateAreNeverLookedAtAgain() throws IOException {
		TestCertificates.Issued first = TestCertificates.issue(this.temp.resolve("1"), "a.test");
		TestCertificates.Issued renewal = TestCertificates.issue(this.temp.resolve("2"), "a.test");
		this.contexts.issued("a", first.tls(), false);
		this.contexts.issued("a", renewal.tls(), false);
		// what the provider does once the renewal is in place
		Files.delete(first.tls().certificate());
		Files.delete(first.tls().privateKey());
		Logger logger = (Logger) LoggerFactory.getLogger(TlsContexts.class);
		ListAppender<ILoggingEvent> logged = new ListAppender<>();
		logged.start();
		logger.addAppender(logged);
		try {
			for (int period = 0; period < 3; period++) {
				assertThat(this.contexts.reloadSettled()).isZero();
			}
			assertThat(this.contexts.reload()).isZero();
		}
		finally {
			logger.detachAppender(logged);
		}
		assertThat(logged.list).noneMatch((event) -> event.getLevel().isGreaterOrEqual(Level.WARN));
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
