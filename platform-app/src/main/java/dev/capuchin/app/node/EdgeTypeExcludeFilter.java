package dev.capuchin.app.node;

import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * On an edge node, leaves out of the component scan every component of the application
 * that is not an {@link EdgeNodePart}: the console's and the API's controllers, security,
 * identity. They would need a servlet container the edge node does not start, and cost
 * memory and start time for pages no one can open there.
 */
final class EdgeTypeExcludeFilter extends TypeExcludeFilter {

	private static final String APPLICATION_PACKAGE = "dev.capuchin.app.";

	@Override
	public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
		return reader.getClassMetadata().getClassName().startsWith(APPLICATION_PACKAGE)
				&& !reader.getAnnotationMetadata().hasAnnotation(EdgeNodePart.class.getName());
	}

	@Override
	public boolean equals(Object other) {
		return other != null && other.getClass() == getClass();
	}

	@Override
	public int hashCode() {
		return getClass().hashCode();
	}

}
