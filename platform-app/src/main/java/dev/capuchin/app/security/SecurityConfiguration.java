package dev.capuchin.app.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Security of the control listener: {@code /actuator/health} is open, everything else
 * needs the admin account (HTTP Basic for scripts and monitoring).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	UserDetailsService adminAccount(@Value("${" + AdminAccount.ENVIRONMENT_VARIABLE + ":}") String configured,
			PasswordEncoder encoder) {
		AdminAccount account = AdminAccount.from(configured);
		if (account.generated()) {
			logger.warn("\n\n    Generated admin password: {}\n    Set {} to choose your own.\n", account.password(),
					AdminAccount.ENVIRONMENT_VARIABLE);
		}
		return new InMemoryUserDetailsManager(User.withUsername(AdminAccount.USER)
			.password(encoder.encode(account.password()))
			.roles("ADMIN")
			.build());
	}

	@Bean
	SecurityFilterChain controlPlane(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to(HealthEndpoint.class))
			.permitAll()
			.anyRequest()
			.hasRole("ADMIN"));
		http.httpBasic(Customizer.withDefaults());
		// scripts authenticate each request with Basic; the API takes no form posts, and
		// without
		// CORS a browser cannot send it a cross-site PUT or DELETE
		http.csrf((csrf) -> csrf.ignoringRequestMatchers(EndpointRequest.toAnyEndpoint())
			.ignoringRequestMatchers(PathPatternRequestMatcher.withDefaults().matcher("/api/**")));
		return http.build();
	}

}
