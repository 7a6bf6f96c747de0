package dev.capuchin.app.identity;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The public identity listener's wiring, present only when
 * {@code capuchin.identity.listener.port} is set: the second connector and the filter,
 * first in line, that answers only identity paths on it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = IdentityListenerProperties.PREFIX, name = "port")
@EnableConfigurationProperties(IdentityListenerProperties.class)
class IdentityListenerConfiguration {

	@Bean
	IdentityListener identityListener(IdentityListenerProperties properties, SslBundles bundles,
			IdentityProperties identity) {
		return new IdentityListener(properties, bundles, identity.issuer());
	}

	@Bean
	FilterRegistrationBean<PublicPathsFilter> publicPathsFilter(IdentityListener listener) {
		FilterRegistrationBean<PublicPathsFilter> registration = new FilterRegistrationBean<>(
				new PublicPathsFilter(listener::localPort));
		// before Spring Security and everything else; forwards and error pages of an
		// identity request stay its own
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		return registration;
	}

}
