package dev.capuchin.app.security;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;

/**
 * The API's refusals from the security chain, in the API's error format: {@code {"error":
 * "<message>"}}, with the challenge of RFC 7235 and RFC 6750.
 */
final class ApiErrors {

	/** The realm of the control listener's challenges. */
	static final String REALM = "Capuchin";

	private ApiErrors() {
	}

	static void write(HttpServletResponse response, int status, String message) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(JsonMapper.shared().writeValueAsString(Map.of("error", message)));
	}

	/**
	 * A Bearer challenge (RFC 6750, section 3).
	 * @param error the error code, or {@code null}
	 * @param description what is wrong, or {@code null}
	 * @return the header value
	 */
	static String bearer(String error, String description) {
		StringBuilder challenge = new StringBuilder("Bearer realm=\"" + REALM + "\"");
		if (error != null) {
			challenge.append(", error=\"").append(error).append('"');
		}
		if (description != null) {
			// error_description allows %x20-21 / %x23-5B / %x5D-7E: no quote, no
			// backslash
			challenge.append(", error_description=\"")
				.append(description.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "'"))
				.append('"');
		}
		return challenge.toString();
	}

}
