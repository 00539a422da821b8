/**
 * Named points in a run where crash tests stop it, to prove that a run killed there leaves nothing
 * half-published and that the next attempt cleans up. Inert unless a test names a point.
 */
package io.lakeport.fault;
