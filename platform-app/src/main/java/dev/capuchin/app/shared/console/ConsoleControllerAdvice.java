package dev.capuchin.app.shared.console;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Console pages for a missing thing: the layout with a 404 and a way back. Console
 * controllers live in their feature's package, so the advice applies to every controller;
 * only console pages throw {@link NotFoundException}.
 */
@ControllerAdvice(annotations = Controller.class)
class ConsoleControllerAdvice {

	@ExceptionHandler(NotFoundException.class)
	String notFound(NotFoundException ex, Model model, HttpServletResponse response) {
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		model.addAttribute("what", ex.getMessage());
		return "console/not-found";
	}

}
