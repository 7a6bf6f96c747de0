/**
 * The node's role ({@code capuchin.node.role}): a full node runs everything, an edge node
 * only the data plane and the store client, an admin node only the control plane; and the
 * edge node's small health probe.
 */
package dev.capuchin.app.node;
