package io.wxgateway.common.bus;

import io.vertx.core.eventbus.MessageCodec;

/**
 * What every codec of this package has in common: the object is immutable, so a local send passes it
 * by reference, and the codec is a user codec known by its name. Subclasses write the wire form.
 */
abstract class ByReferenceCodec<T> implements MessageCodec<T, T> {

  private final String name;

  ByReferenceCodec(String name) {
    this.name = name;
  }

  @Override
  public final T transform(T object) {
    return object;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
