/** The dashboard's implementation: transport adapters, security, the JSON API and the static pages. Not API. */
package io.taskq.dashboard.internal;
