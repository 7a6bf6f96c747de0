package dev.capuchin.app.node;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of the application (usually a {@code @Configuration}) that an edge
 * node needs too: the store and the live configuration. On an edge node every other
 * component of the application (console, API, identity, their security) is not created,
 * so a feature the data plane needs on every node carries this annotation.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EdgeNodePart {

}
