/** Files and folders of the test tools. */
package org.switchboard.testing.files;
