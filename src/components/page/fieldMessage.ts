// An input with a message line under it: what the field was read as, or why it could not be.
// Browser tests find the line by its data-field and check its class (field-error / field-hint).

export function withFieldMessage(input: HTMLElement, name: string): { element: HTMLElement; set: (error: string | null, hint?: string) => void } {
  const element = document.createElement("div");
  element.className = "field-with-message";
  element.dataset.field = name;
  const message = document.createElement("div");
  message.className = "field-message field-hint";
  message.dataset.field = name;
  element.append(input, message);
  return {
    element,
    set(error, hint = "") {
      message.className = `field-message ${error ? "field-error" : "field-hint"}`;
      message.textContent = error ?? hint;
    },
  };
}
