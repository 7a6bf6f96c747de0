package dev.capuchin.app.shared.console;

import java.util.Objects;

import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A message shown once at the top of the next page, after a redirect.
 *
 * @param kind {@code success}, {@code danger}, {@code warning} or {@code info}: the
 * Bootstrap alert colour
 * @param text the message
 */
public record Flash(String kind, String text) {

	/** The model attribute the layout reads. */
	public static final String ATTRIBUTE = "flash";

	public Flash {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(text, "text");
	}

	/**
	 * Show a success message on the next page.
	 * @param redirect the redirect attributes
	 * @param text the message
	 */
	public static void success(RedirectAttributes redirect, String text) {
		redirect.addFlashAttribute(ATTRIBUTE, new Flash("success", text));
	}

	/**
	 * Show an error message on the next page.
	 * @param redirect the redirect attributes
	 * @param text the message
	 */
	public static void error(RedirectAttributes redirect, String text) {
		redirect.addFlashAttribute(ATTRIBUTE, new Flash("danger", text));
	}

}
