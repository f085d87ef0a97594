/**
 * The options of every role. Each class is a Vert.x {@code @DataObject}: a field is written as the field,
 * its getter and its fluent setter, and Vert.x codegen writes the class's {@code XxxConverter}
 * (JSON keys = property names) from them. Setters only store (and normalise case or blanks); every
 * rule lives in {@link io.wxgateway.common.options.OptionsValidator}, which the JSON constructors and
 * {@code validate()} run, so the configuration is refused when it is loaded, naming the setting.
 */
@ModuleGen(name = "wx-options", groupPackage = "io.wxgateway.common.options")
package io.wxgateway.common.options;

import io.vertx.codegen.annotations.ModuleGen;
