/**
 * The command line of {@code java -jar capuchin.jar}: export, import and Monkey import
 * without the server.
 */
package dev.capuchin.app.cli;
