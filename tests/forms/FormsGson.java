// SPDX-License-Identifier: ISC
// Conformance form: Gson's toJson of a map and of an object that hold
// the value, in its default (HTML-safe) escaping: = ' < > & as \u003d,
// \u0027, \u003c, \u003e, \u0026; of its bytes (a byte[]: signed,
// joined by ","); and of an object holding its char[] (["s","k"]).
import com.google.gson.Gson;
import java.nio.charset.StandardCharsets;
import java.util.Map;

public class FormsGson
{
	static class Login
	{
		String user = "app";
		String password;

		Login(String password)
		{
			this.password = password;
		}
	}

	static class Secret
	{
		String user = "app";
		char[] password;

		Secret(char[] password)
		{
			this.password = password;
		}
	}

	public static void main(String[] args)
	{
		Gson gson = new Gson();

		System.out.println("FORMS-MARKER gson");
		for (String name : System.getenv("FORMS_NAMES").split(",")) {
			String value = System.getenv(name);
			System.out.println(
			    name + ": " +
			    gson.toJson(Map.of("password", value)));
			System.out.println(name + ": " +
			                   gson.toJson(new Login(value)));
			System.out.println(name + ": " +
			                   gson.toJson(value.getBytes(
			                       StandardCharsets.UTF_8)));
			// a character past the BMP is two chars, each of which
			// Gson writes alone ("?" once encoded): that value's
			// char[] is printed mangled, not as a form
			if (value.codePoints().allMatch(c -> c < 0x10000))
				System.out.println(name + ": " +
				                   gson.toJson(new Secret(
				                       value.toCharArray())));
		}
	}
}
