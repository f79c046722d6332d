// SPDX-License-Identifier: ISC
// Conformance form: Java's URLEncoder, Arrays.toString of a byte[] (signed
// bytes) and of a char[] (alone and after a text), Properties.store (\: \= \!
// and u-escapes), to an OutputStream and to a Writer, java.net.URI quoting a
// userinfo, and UUID.fromString printed again (lower case).
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.UUID;

public class FormsJava {
	public static void main(String[] args) throws Exception {
		System.out.println("FORMS-MARKER java");
		for (String name : System.getenv("FORMS_NAMES").split(",")) {
			String value = System.getenv(name);
			System.out.println(name + ": " + URLEncoder.encode(value, StandardCharsets.UTF_8));
			// a byte[] as Java prints it: signed, -61 for 0xc3
			System.out.println(Arrays.toString(value.getBytes(StandardCharsets.UTF_8)));
			System.out.println(name + ": " + Arrays.toString(value.getBytes(StandardCharsets.UTF_8)));
			// a char[] (a password as Console.readPassword returns
			// it)
			System.out.println(
			    Arrays.toString(value.toCharArray()));
			// after a label, and as Lombok's @ToString and Kotlin's
			// data classes print a char[] field
			System.out.println(
			    name + ": " + Arrays.toString(value.toCharArray()));
			System.out.println(
			    "Login(user=app, password=" +
			    Arrays.toString(value.toCharArray()) + ")");
			Properties p = new Properties();
			p.setProperty("key", value);
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			p.store(bytes, null);
			System.out.print(bytes.toString(StandardCharsets.ISO_8859_1));
			StringWriter text = new StringWriter();
			p.store(text, null);
			System.out.print(text);
			// a URL built around a password: its userinfo quoted as
			// RFC 2396 has it, bytes past ASCII as they are in
			// toString() and encoded in toASCIIString()
			URI url = new URI("postgresql", "app:" + value, "db",
			                  5432, "/app", null, null);
			System.out.println(url);
			System.out.println(url.toASCIIString());
			// a UUID parsed and printed again: lower case
			try {
				System.out.println(name + ": " +
				                   UUID.fromString(value));
			} catch (IllegalArgumentException e) {
				// not a UUID
			}
		}
	}
}
