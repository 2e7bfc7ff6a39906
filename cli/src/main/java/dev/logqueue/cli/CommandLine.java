package dev.logqueue.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A command line split into its command, its arguments, its options' values and its flags. */
final class CommandLine {

  /** What a command takes: how many arguments, which options with a value, which flags. */
  record Spec(int minArguments, int maxArguments, Set<String> valued, Set<String> flags) {}

  /** Short forms. */
  private static final Map<String, String> ALIASES =
      Map.of("-f", "--follow", "-n", "--lines", "-b", "--broker");

  /** Options every command takes. */
  private static final Set<String> COMMON = Set.of("--broker", "--token", "--truststore");

  private final String command;
  private final List<String> arguments;
  private final Map<String, List<String>> options;
  private final Set<String> flags;

  private CommandLine(
      String command,
      List<String> arguments,
      Map<String, List<String>> options,
      Set<String> flags) {
    this.command = command;
    this.arguments = arguments;
    this.options = options;
    this.flags = flags;
  }

  static CommandLine parse(String[] args, Map<String, Spec> commands) throws UsageException {
    if (args.length == 0) {
      throw new UsageException("no command");
    }
    String command = args[0];
    Spec spec = commands.get(command);
    if (spec == null) {
      throw new UsageException("unknown command " + command);
    }
    List<String> arguments = new ArrayList<>();
    Map<String, List<String>> options = new LinkedHashMap<>();
    Set<String> flags = new java.util.TreeSet<>();
    for (int i = 1; i < args.length; i++) {
      String arg = ALIASES.getOrDefault(args[i], args[i]);
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new UsageException("--help goes alone");
      }
      if (spec.valued().contains(arg) || COMMON.contains(arg)) {
        if (i + 1 >= args.length) {
          throw new UsageException("option " + arg + " needs a value");
        }
        options.computeIfAbsent(arg, name -> new ArrayList<>()).add(args[++i]);
      } else if (spec.flags().contains(arg)) {
        flags.add(arg);
      } else if (arg.startsWith("-") && arg.length() > 1) {
        throw new UsageException("unknown option " + args[i] + " for " + command);
      } else {
        arguments.add(arg);
      }
    }
    if (arguments.size() < spec.minArguments() || arguments.size() > spec.maxArguments()) {
      throw new UsageException(
          command
              + " takes "
              + (spec.minArguments() == spec.maxArguments()
                  ? spec.minArguments()
                  : spec.minArguments() + " or more")
              + (spec.maxArguments() == 1 ? " argument" : " arguments")
              + ", not "
              + arguments.size()
              + (arguments.isEmpty() ? "" : " (" + String.join(" ", arguments) + ")"));
    }
    return new CommandLine(command, List.copyOf(arguments), options, flags);
  }

  String command() {
    return command;
  }

  List<String> arguments() {
    return arguments;
  }

  String argument(int index) {
    return arguments.get(index);
  }

  /** The option's value (the last one given), if given. */
  Optional<String> option(String name) {
    List<String> values = options.getOrDefault(name, List.of());
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
  }

  List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  /** A positive whole number option, if given. */
  Optional<Long> positive(String name) throws UsageException {
    Optional<String> value = option(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      long number = Long.parseLong(value.get());
      if (number > 0) {
        return Optional.of(number);
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new UsageException(name + " takes a positive whole number, not " + value.get());
  }
}
