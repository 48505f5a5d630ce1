/* nn_safetensors: to be written. */
