package io.wxgateway.common.codec;

/** An outbound record that breaks the contract; its message is the dead letter's detail. */
public final class InvalidRecordException extends Exception {

  public InvalidRecordException(String detail) {
    super(detail, null, false, false); // an expected outcome, not a bug: no stack trace
  }
}
