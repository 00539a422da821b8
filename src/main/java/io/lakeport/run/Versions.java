package io.lakeport.run;

/** Lakeport's own version, from the jar manifest ({@code dev} when run from classes). */
public final class Versions {
  private Versions() {}

  public static String lakeport() {
    String version = Versions.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
