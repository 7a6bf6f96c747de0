package dev.capuchin.app.rules;

import dev.capuchin.app.shared.config.ConfigService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The access-rules service the console page and {@code /api/access-rules} share.
 */
@Configuration(proxyBeanMethods = false)
class AccessRulesConfiguration {

	@Bean
	AccessRules accessRules(ConfigService config) {
		return new AccessRules(config);
	}

}
