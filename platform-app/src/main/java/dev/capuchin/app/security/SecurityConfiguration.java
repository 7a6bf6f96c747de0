package dev.capuchin.app.security;

import dev.capuchin.app.store.ConsoleUserStore;
import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Security of the control listener outside the console: {@code /actuator/health} is open,
 * everything else needs an admin account (HTTP Basic for scripts and monitoring, each
 * request on its own, without a session). The accounts are the built-in {@code admin} and
 * the console's accounts.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	CapuchinUserDetailsService capuchinAccounts(
			@Value("${" + AdminAccount.ENVIRONMENT_VARIABLE + ":}") String configured, PasswordEncoder encoder,
			ConsoleUserStore users) {
		AdminAccount account = AdminAccount.from(configured);
		if (account.generated()) {
			logger.warn("\n\n    Generated admin password: {}\n    Set {} to choose your own.\n", account.password(),
					AdminAccount.ENVIRONMENT_VARIABLE);
		}
		return new CapuchinUserDetailsService(User.withUsername(AdminAccount.USER)
			.password(encoder.encode(account.password()))
			.roles("ADMIN")
			.build(), users);
	}

	@Bean
	@Order(2)
	SecurityFilterChain controlPlane(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class))
			.permitAll()
			// the error page of a request that was already let through or refused
			.dispatcherTypeMatchers(DispatcherType.ERROR)
			.permitAll()
			.anyRequest()
			.hasRole("ADMIN"));
		http.httpBasic(Customizer.withDefaults());
		// every request authenticates itself: a console session never opens the API
		http.securityContext(
				(context) -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()));
		http.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		// scripts authenticate each request with Basic; the API takes no form posts, and
		// without CORS a browser cannot send it a cross-site PUT or DELETE
		http.csrf((csrf) -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint())
			.ignoringRequestMatchers(PathPatternRequestMatcher.withDefaults().matcher("/api/**")));
		return http.build();
	}

}
