package dev.capuchin.app.shared.console;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.StoreUnreachable;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;

import org.springframework.stereotype.Controller;
import org.springframework.transaction.TransactionException;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Console pages for a missing thing (the layout with a 404 and a way back) and for a
 * store that cannot be reached (503, saying that nothing was changed and what the data
 * plane keeps serving). Console controllers live in their feature's package, so the
 * advice applies to every controller; only console pages throw {@link NotFoundException}.
 */
@ControllerAdvice(annotations = Controller.class)
class ConsoleControllerAdvice {

	private static final Logger logger = LoggerFactory.getLogger(ConsoleControllerAdvice.class);

	private final ObjectProvider<ConfigService> config;

	ConsoleControllerAdvice(ObjectProvider<ConfigService> config) {
		this.config = config;
	}

	@ExceptionHandler({ DataAccessException.class, TransactionException.class })
	String storeUnreachable(RuntimeException ex, Model model, HttpServletResponse response) {
		String reason = StoreUnreachable.reason(ex).orElseThrow(() -> ex);
		ConfigService served = this.config.getIfAvailable();
		String message = StoreUnreachable.message(reason, (served != null) ? served.appliedVersion() : -1);
		logger.warn("Console request refused: {}", message);
		response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		model.addAttribute("message", message);
		return "console/store-unreachable";
	}

	@ExceptionHandler(NotFoundException.class)
	String notFound(NotFoundException ex, Model model, HttpServletResponse response) {
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		model.addAttribute("what", ex.getMessage());
		return "console/not-found";
	}

}
