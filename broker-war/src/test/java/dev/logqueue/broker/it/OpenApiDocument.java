package dev.logqueue.broker.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The broker's OpenAPI document as a test reads it: its operations, the fields each takes and
 * answers, the error codes each lists under which HTTP status, and JSON Schema validation (OpenAPI
 * 3.0's dialect, networknt's validator) of bodies against the schema of a request or an answer.
 */
final class OpenApiDocument {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final String LOCATION = "https://logqueue.test/openapi.json";

  private final JsonNode root;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  /** An operation: its method (lower case) and path template. */
  record Operation(String method, String path) {
    @Override
    public String toString() {
      return method.toUpperCase() + " " + path;
    }
  }

  OpenApiDocument(String text) {
    try {
      root = new YAMLMapper().readTree(text); // YAML or JSON, as served
      String json = JSON.writeValueAsString(root);
      registry =
          SchemaRegistry.withDialect(
              Dialects.getOpenApi30(), builder -> builder.schemas(Map.of(LOCATION, json)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode root() {
    return root;
  }

  Set<Operation> operations() {
    Set<Operation> operations = new java.util.LinkedHashSet<>();
    root.path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (!method.equals("parameters")) {
                            operations.add(new Operation(method, path.getKey()));
                          }
                        }));
    return operations;
  }

  /** The operation whose path template matches a concrete path (query string left off). */
  Optional<Operation> match(String method, String path) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    return operations().stream()
        .filter(op -> op.method().equals(method.toLowerCase()))
        .filter(op -> template(op.path()).matcher(bare).matches())
        .findFirst();
  }

  private static Pattern template(String path) {
    return Pattern.compile(path.replaceAll("\\{[^/]+}", "[^/]+"));
  }

  private String pointer(Operation op) {
    return "/paths/" + escape(op.path()) + "/" + op.method();
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** The node at a JSON pointer, following a {@code $ref} found there; with its own pointer. */
  private Map.Entry<String, JsonNode> resolve(String pointer) {
    JsonNode node = root.at(pointer);
    while (node.has("$ref")) {
      pointer = node.get("$ref").asText().substring(1);
      node = root.at(pointer);
    }
    return Map.entry(pointer, node);
  }

  /** The pointer to the request body's JSON schema, if the operation takes one. */
  Optional<String> requestSchema(Operation op) {
    String body = resolve(pointer(op) + "/requestBody").getKey();
    JsonNode schema = root.at(body + "/content/application~1json/schema");
    return schema.isMissingNode()
        ? Optional.empty()
        : Optional.of(body + "/content/application~1json/schema");
  }

  /** The pointer to the schema of the answer with that status, if the operation has one. */
  Optional<String> answerSchema(Operation op, int status) {
    String response = pointer(op) + "/responses/" + status;
    if (root.at(response).isMissingNode()) {
      return Optional.empty();
    }
    String resolved = resolve(response).getKey();
    String schema = resolved + "/content/application~1json/schema";
    return root.at(schema).isMissingNode() ? Optional.empty() : Optional.of(schema);
  }

  /** Names of the operation's parameters (path and query) and of its request body's fields. */
  Set<String> requestFields(Operation op) {
    Set<String> names = new TreeSet<>();
    for (String at :
        List.of(pointer(op) + "/parameters", "/paths/" + escape(op.path()) + "/parameters")) {
      for (JsonNode parameter : root.at(at)) {
        names.add(resolve(parameterPointer(parameter, at)).getValue().path("name").asText());
      }
    }
    requestSchema(op).ifPresent(schema -> collectFields(schema, names, 0));
    return names;
  }

  private String parameterPointer(JsonNode parameter, String list) {
    if (parameter.has("$ref")) {
      return parameter.get("$ref").asText().substring(1);
    }
    int index = 0;
    for (JsonNode each : root.at(list)) {
      if (each == parameter) {
        return list + "/" + index;
      }
      index++;
    }
    throw new IllegalStateException("parameter not in its list");
  }

  /** Every property name of the success answer, however deep (records, consumers, origin). */
  Set<String> answerFields(Operation op) {
    Set<String> names = new TreeSet<>();
    answerSchema(op, 200).ifPresent(schema -> collectFields(schema, names, 0));
    return names;
  }

  private void collectFields(String pointer, Set<String> names, int depth) {
    if (depth > 12) {
      return;
    }
    Map.Entry<String, JsonNode> schema = resolve(pointer);
    String at = schema.getKey();
    JsonNode node = schema.getValue();
    Iterator<String> properties = node.path("properties").fieldNames();
    while (properties.hasNext()) {
      String name = properties.next();
      names.add(name);
      collectFields(at + "/properties/" + escape(name), names, depth + 1);
    }
    if (node.has("items")) {
      collectFields(at + "/items", names, depth + 1);
    }
    for (String combination : List.of("allOf", "anyOf", "oneOf")) {
      for (int i = 0; i < node.path(combination).size(); i++) {
        collectFields(at + "/" + combination + "/" + i, names, depth + 1);
      }
    }
  }

  /** The error codes the operation lists, each with the HTTP status it is listed under. */
  Map<String, Integer> errors(Operation op) {
    Map<String, Integer> errors = new LinkedHashMap<>();
    root.at(pointer(op) + "/responses")
        .fieldNames()
        .forEachRemaining(
            status -> {
              if (Integer.parseInt(status) >= 400) {
                answerSchema(op, Integer.parseInt(status))
                    .ifPresent(
                        schema -> {
                          Set<String> codes = new TreeSet<>();
                          collectErrorCodes(schema, codes, 0);
                          codes.forEach(code -> errors.put(code, Integer.parseInt(status)));
                        });
              }
            });
    return errors;
  }

  private void collectErrorCodes(String pointer, Set<String> codes, int depth) {
    Map.Entry<String, JsonNode> schema = resolve(pointer);
    JsonNode node = schema.getValue();
    for (JsonNode code : node.path("properties").path("error").path("enum")) {
      codes.add(code.asText());
    }
    for (int i = 0; depth < 8 && i < node.path("allOf").size(); i++) {
      collectErrorCodes(schema.getKey() + "/allOf/" + i, codes, depth + 1);
    }
  }

  /** What a body breaks of the schema at that pointer: nothing when it conforms. */
  List<Error> validate(String schemaPointer, JsonNode body) {
    Schema schema =
        schemas.computeIfAbsent(
            schemaPointer, at -> registry.getSchema(SchemaLocation.of(LOCATION + "#" + at)));
    return schema.validate(body);
  }
}
