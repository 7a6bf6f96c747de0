package dev.capuchin.app.console;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Console pages for a missing thing: the layout with a 404 and a way back.
 */
@ControllerAdvice(basePackageClasses = ConsoleControllerAdvice.class)
class ConsoleControllerAdvice {

	@ExceptionHandler(NotFoundException.class)
	String notFound(NotFoundException ex, Model model, HttpServletResponse response) {
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		model.addAttribute("what", ex.getMessage());
		return "console/not-found";
	}

}
