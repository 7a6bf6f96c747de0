package dev.capuchin.app.shared.api;

import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.shared.config.StoreUnreachable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The API's error format, for every controller under {@code /api/}: {@code {"error":
 * "<message naming the field>"}} with 400 for invalid input, 404 for an unknown resource,
 * 409 for a conflict such as a taken name, 503 when the store cannot be reached (the
 * change is not applied, the data plane keeps what it serves), and never a stack trace
 * (an unexpected failure is logged and answered with 500 and a plain message). API
 * controllers live in their feature's package beside the console's, so the advice selects
 * them by their {@code @RestController} annotation: console pages are plain
 * {@code @Controller}s.
 */
@RestControllerAdvice(annotations = RestController.class)
// before the console's advice, which applies to every @Controller, @RestControllers too
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ApiExceptionHandler.class);

	private final ObjectProvider<ConfigService> config;

	ApiExceptionHandler(ObjectProvider<ConfigService> config) {
		this.config = config;
	}

	@ExceptionHandler(ApiException.class)
	ResponseEntity<Map<String, String>> refused(ApiException ex) {
		return error(ex.status(), ex.getMessage());
	}

	@ExceptionHandler(InvalidConfigurationException.class)
	ResponseEntity<Map<String, String>> invalidConfiguration(InvalidConfigurationException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		String detail = (ex.getCause() instanceof JacksonException jackson) ? jackson.getOriginalMessage()
				: "missing or unreadable";
		return error(HttpStatus.BAD_REQUEST, "body: " + detail + " (expected: a JSON object)");
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<Map<String, String>> mismatch(MethodArgumentTypeMismatchException ex) {
		String expected = (ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName().toLowerCase()
				: "another value";
		return error(HttpStatus.BAD_REQUEST, ex.getName() + ": '" + ex.getValue() + "' (expected: " + expected + ")");
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	ResponseEntity<Map<String, String>> missing(MissingServletRequestParameterException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getParameterName() + ": missing");
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeNotSupportedException ex) {
		return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "content-type: " + ex.getContentType() + " (expected: "
				+ (ex.getSupportedMediaTypes().isEmpty() ? "application/json" : ex.getSupportedMediaTypes().get(0))
				+ ")");
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Map<String, String>> unexpected(Exception ex) {
		if (ex instanceof ErrorResponse response) {
			// the framework's own refusals (405, 406, ...): their status and reason
			String detail = response.getBody().getDetail();
			return error(response.getStatusCode(), (detail != null) ? detail : ex.getMessage());
		}
		String unreachable = StoreUnreachable.reason(ex).orElse(null);
		if (unreachable != null) {
			ConfigService served = this.config.getIfAvailable();
			String message = StoreUnreachable.message(unreachable, (served != null) ? served.appliedVersion() : -1);
			logger.warn("API request refused: {}", message);
			return error(HttpStatus.SERVICE_UNAVAILABLE, message);
		}
		logger.error("API request failed", ex);
		return error(HttpStatus.INTERNAL_SERVER_ERROR,
				"internal error: " + ex.getClass().getSimpleName() + " (the server log has the details)");
	}

	static ResponseEntity<Map<String, String>> error(HttpStatusCode status, String message) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", message));
	}

}
