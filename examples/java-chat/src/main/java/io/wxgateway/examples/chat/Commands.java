package io.wxgateway.examples.chat;

/**
 * The demo's text command protocol (examples/README.md), independent of Kafka: what to answer to
 * one client message. Mirrors examples/node-chat/commands.js.
 */
final class Commands {

  static final String HELP = "commands: /echo <text>, /to-user <user> <text>, /all <text>, /bye";
  /** The close code /bye asks for: an application code (3000-4999) the gateway itself does not use. */
  static final int BYE_CODE = 4100;

  private Commands() {
  }

  static String welcome(String name) {
    return "welcome " + name + "; " + HELP;
  }

  static String undelivered(String target, String error) {
    return "undelivered to " + target + ": " + error;
  }

  /** The answer to {@code text} from the socket {@code connectionId}, whose sender is called {@code name}. */
  static Reply reply(String text, String connectionId, String name) {
    String[] command = split(text);
    Target self = Target.connection(connectionId);
    return switch (command[0]) {
      case "/echo" -> Reply.text(self, command[1]);
      case "/to-user" -> toUser(split(command[1]), connectionId, name);
      case "/all" -> Reply.text(Target.everyone(), name + " to all: " + command[1]);
      case "/bye" -> Reply.close(self, BYE_CODE, "bye");
      default -> Reply.text(self, "unknown command; " + HELP);
    };
  }

  private static Reply toUser(String[] userAndMessage, String connectionId, String name) {
    if (userAndMessage[0].isEmpty() || userAndMessage[1].isEmpty()) {
      return Reply.text(Target.connection(connectionId), "usage: /to-user <user> <text>");
    }
    return Reply.text(Target.user(userAndMessage[0]), name + ": " + userAndMessage[1]).reportingTo(connectionId);
  }

  /** The first word and the rest, both trimmed. */
  private static String[] split(String text) {
    String trimmed = text.trim();
    int space = trimmed.indexOf(' ');
    return space < 0 ? new String[] {trimmed, ""} : new String[] {trimmed.substring(0, space), trimmed.substring(space + 1).trim()};
  }

  /** Who a reply goes to: one connection, every socket of a user, or everyone (both null). */
  record Target(String connectionId, String userId) {
    static Target connection(String id) {
      return new Target(id, null);
    }

    static Target user(String id) {
      return new Target(null, id);
    }

    static Target everyone() {
      return new Target(null, null);
    }
  }

  /** A text to send, or a close (closeCode > 0); reportTo names the sender to tell when a push finds nobody. */
  record Reply(Target to, String text, int closeCode, String closeReason, String reportTo) {
    static Reply text(Target to, String text) {
      return new Reply(to, text, 0, null, null);
    }

    static Reply close(Target to, int code, String reason) {
      return new Reply(to, null, code, reason, null);
    }

    Reply reportingTo(String connectionId) {
      return new Reply(to, text, closeCode, closeReason, connectionId);
    }
  }
}
