package dev.lathe.te;

import java.util.regex.Pattern;

/** Names of tensors and iterators reach generated C code, so they are restricted to identifiers. */
public final class Names {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,63}");

    private Names() {
    }

    /** Returns the name if it is a valid Lathe identifier, else throws. */
    public static String check(String name) {
        if (name == null || !IDENT.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid name '" + name + "': use letters, digits, '_' and '.', "
                    + "starting with a letter or '_', at most 64 characters");
        }
        return name;
    }
}
